package dev.berth.handover;

/** Which paths are Berth's health endpoints under a base such as {@code /health}. */
public final class HealthPaths {

    private HealthPaths() {
    }

    /** True for base, base/, base/live, base/ready and base/started; never when base is empty (health off). */
    public static boolean matches(String base, String path) {
        if (base.isEmpty() || path == null || !path.startsWith(base)) {
            return false;
        }
        int rest = path.length() - base.length();
        return rest == 0 || (rest == 1 && path.charAt(base.length()) == '/')
                || path.equals(base + "/live") || path.equals(base + "/ready") || path.equals(base + "/started");
    }
}
