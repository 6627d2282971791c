package io.dlstation.gpu;

/** Conversions between CUDA version spellings: "13.0", NVML's 13000 and PyTorch flavours "cu130". */
public final class CudaVersions {
    private CudaVersions() {}

    /** NVML's integer (e.g. 12080) as "12.8". */
    public static String fromCode(int code) {
        return (code / 1000) + "." + (code % 1000) / 10;
    }

    /** "12.8" as 12080; -1 when null or unparseable. */
    public static int code(String version) {
        if (version == null) {
            return -1;
        }
        String[] parts = version.trim().split("\\.");
        try {
            int major = Integer.parseInt(parts[0]);
            int minor = parts.length > 1 ? Integer.parseInt(parts[1]) : 0;
            return major * 1000 + minor * 10;
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    /** A PyTorch flavour such as "cu128" or "cu130-precxx11" as 12080 / 13000; -1 for CPU flavours. */
    public static int codeOfFlavor(String flavor) {
        if (flavor == null || !flavor.startsWith("cu") || flavor.length() < 5) {
            return -1;
        }
        String digits = flavor.substring(2).split("-")[0];
        try {
            int n = Integer.parseInt(digits);
            return (n / 10) * 1000 + (n % 10) * 10;
        } catch (NumberFormatException e) {
            return -1;
        }
    }
}
