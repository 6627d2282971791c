package io.dlstation.engine;

import java.io.IOException;
import java.net.URL;
import java.util.Collections;
import java.util.Enumeration;

/**
 * A class loader that hides one resource name and delegates everything else. Installed as the context
 * class loader while DJL picks its libtorch, it hides the bundled CPU build's
 * {@code native/lib/pytorch.properties} so that DJL takes its own CUDA download path on a GPU machine
 * (DJL prefers any bundled build it finds on the class path, and the CPU build from Maven is always
 * there). DJL exposes no setting for this choice.
 */
final class ResourceHidingClassLoader extends ClassLoader {
    private final String hidden;

    ResourceHidingClassLoader(ClassLoader parent, String hidden) {
        super(parent);
        this.hidden = hidden;
    }

    @Override
    public URL getResource(String name) {
        return hidden.equals(name) ? null : super.getResource(name);
    }

    @Override
    public Enumeration<URL> getResources(String name) throws IOException {
        return hidden.equals(name) ? Collections.emptyEnumeration() : super.getResources(name);
    }
}
