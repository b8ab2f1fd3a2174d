/**
 * Session stores that outlive the process: the file-backed {@link io.umqtt.core.store.FileSessionStore}.
 */
package io.umqtt.core.store;
