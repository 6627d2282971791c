package io.dlstation.info;

/** The Java runtime the product runs on. */
public record JvmInfo(String version, String vendor, String home) {

    /** This JVM. */
    public static JvmInfo current() {
        return new JvmInfo(System.getProperty("java.version"), System.getProperty("java.vendor"),
                System.getProperty("java.home"));
    }
}
