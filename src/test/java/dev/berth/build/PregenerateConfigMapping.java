package dev.berth.build;

import dev.berth.config.BerthConfig;
import dev.berth.config.CatalogFile;

import io.smallrye.config.ConfigMappingLoader;
import io.smallrye.config.ConfigMappingMetadata;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A build step (Maven runs it before packaging): writes the classes SmallRye Config would otherwise
 * generate with ASM at every start for the {@link BerthConfig} mapping. SmallRye loads an implementation
 * class it finds on the class path instead of generating one, so each start skips the generation and ASM.
 * It writes Berth's catalog of the mapping's properties as well, which a start would otherwise build by reflection.
 */
public final class PregenerateConfigMapping {

    private PregenerateConfigMapping() {
    }

    public static void main(String[] args) throws IOException {
        Path classes = Path.of(args[0]);
        for (ConfigMappingMetadata mapping : ConfigMappingLoader.getConfigMappingsMetadata(BerthConfig.class)) {
            Path file = classes.resolve(mapping.getClassName().replace('.', '/') + ".class");
            Files.createDirectories(file.getParent());
            Files.write(file, mapping.getClassBytes());
        }
        CatalogFile.write(classes);
    }
}
