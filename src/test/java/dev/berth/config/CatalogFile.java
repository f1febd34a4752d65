package dev.berth.config;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/** The build's writing of {@link Catalog#FILE} (called by {@code dev.berth.build.PregenerateConfigMapping}). */
public final class CatalogFile {

    private CatalogFile() {
    }

    /** Writes the catalog SmallRye's model of the mapping gives into the class folder {@code classes}. */
    public static void write(Path classes) throws IOException {
        Path file = classes.resolve(Catalog.class.getPackageName().replace('.', '/')).resolve(Catalog.FILE);
        Catalog catalog = Catalog.fromMapping();
        Files.createDirectories(file.getParent());
        try (OutputStream out = Files.newOutputStream(file)) {
            catalog.write(out);
        }
    }
}
