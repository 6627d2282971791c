package io.dlstation.serve;

/** Where a model is in its life, as the repository index reports it. */
public enum ModelState {
    /** Being loaded and warmed up. */
    LOADING,
    /** Serving. */
    READY,
    /** Finishing its queued requests before it is closed. */
    UNLOADING,
    /** Not loaded: never loaded, unloaded, or failed to load (the reason says which). */
    UNAVAILABLE
}
