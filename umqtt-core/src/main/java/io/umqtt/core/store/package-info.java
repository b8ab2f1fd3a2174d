/**
 * Session stores that outlive the process: the file-backed {@link io.umqtt.core.store.FileSessionStore}
 * (a checksummed, compacted log, owner-only on disk) and {@link io.umqtt.core.store.StoreCipher} to
 * seal topics and payloads at rest.
 */
@NullMarked
package io.umqtt.core.store;

import org.jspecify.annotations.NullMarked;
