import dev.berth.migrate.RemovedServletMethods;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

/**
 * What the class-load bridge costs a WAR: every class of WEB-INF/classes and WEB-INF/lib goes through
 * RemovedServletMethods.transform as the webapp class loader would pass it, ten times after a warm-up.
 *
 *   java -cp target/berth.jar bench/migrate/TransformCost.java target/third-party-wars/hawtio-war.war
 */
public class TransformCost {

    public static void main(String[] args) throws Exception {
        List<byte[]> classes = new ArrayList<>();
        try (ZipInputStream war = new ZipInputStream(Files.newInputStream(Path.of(args[0])))) {
            for (ZipEntry e = war.getNextEntry(); e != null; e = war.getNextEntry()) {
                if (e.getName().startsWith("WEB-INF/classes/") && e.getName().endsWith(".class")) {
                    classes.add(war.readAllBytes());
                } else if (e.getName().startsWith("WEB-INF/lib/") && e.getName().endsWith(".jar")) {
                    collect(new ByteArrayInputStream(war.readAllBytes()), classes);
                }
            }
        }
        RemovedServletMethods transformer = new RemovedServletMethods();
        int rewritten = 0;
        for (byte[] c : classes) {
            rewritten += transformer.transform(null, "x", null, null, c) == null ? 0 : 1;
        }
        long best = Long.MAX_VALUE;
        for (int round = 0; round < 10; round++) {
            long begin = System.nanoTime();
            for (byte[] c : classes) {
                transformer.transform(null, "x", null, null, c);
            }
            best = Math.min(best, System.nanoTime() - begin);
        }
        System.out.printf("%s: %d classes, %d rewritten; one pass over all of them took %.1f ms at best (%.1f µs a class)%n",
                Path.of(args[0]).getFileName(), classes.size(), rewritten, best / 1e6, best / 1e3 / classes.size());
    }

    private static void collect(InputStream jar, List<byte[]> classes) throws Exception {
        try (ZipInputStream zip = new ZipInputStream(jar)) {
            for (ZipEntry e = zip.getNextEntry(); e != null; e = zip.getNextEntry()) {
                if (e.getName().endsWith(".class")) {
                    classes.add(zip.readAllBytes());
                }
            }
        }
    }
}
