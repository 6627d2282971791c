package io.dlstation.serve.protocol;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.util.JsonRecyclerPools;

/**
 * Jackson factories for request and answer bodies whose working buffers come from one pool shared by
 * every thread. Jackson's default pool is per thread, and the server reads and answers each request on
 * a new virtual thread, so with it every request would allocate a fresh set of buffers (about 90 KB
 * per JSON answer of a thousand numbers).
 */
public final class PooledJson {
    private PooledJson() {}

    /** A new factory on the shared pool. */
    public static JsonFactory factory() {
        return JsonFactory.builder().recyclerPool(JsonRecyclerPools.sharedConcurrentDequePool()).build();
    }
}
