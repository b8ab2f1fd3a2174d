/**
 * Session stores that outlive the process: the file-backed
 * {@link io.umqtt.core.store.FileSessionStore} (a checksummed, compacted log, owner-only
 * on disk) and {@link io.umqtt.core.store.StoreCipher} to seal topics and payloads at
 * rest.
 * <p>
 * Public API: {@code FileSessionStore} (with its {@code FsyncPolicy}) and
 * {@code StoreCipher} are for applications and keep their contracts across releases; the
 * package's other types are package-private.
 */
@NullMarked
package io.umqtt.core.store;

import org.jspecify.annotations.NullMarked;
