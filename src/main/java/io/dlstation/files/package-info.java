/**
 * Files on disk, changed safely: {@link io.dlstation.files.AtomicFiles} writes a file whole (a temporary
 * beside the target, then an atomic rename), and {@link io.dlstation.files.PathGuard} is the one place
 * that decides whether a path may be deleted, and refuses written paths that are relative or hold
 * {@code ..}.
 */
package io.dlstation.files;
