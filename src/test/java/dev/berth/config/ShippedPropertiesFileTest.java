package dev.berth.config;

import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/** config/berth.properties documents every property with its default, and stays loadable. */
class ShippedPropertiesFileTest {

    private static final Path FILE = Path.of("config", "berth.properties");

    @Test
    void listsEveryPropertyWithItsDefault() throws Exception {
        String text = Files.readString(FILE);
        for (Catalog.Entry entry : Catalog.get().entries()) {
            assertThat(text).as(entry.name()).contains("#" + entry.name() + "=" + entry.defaultValue().orElse("") + "\n");
        }
    }

    @Test
    void uncommentedItLoadsAndMeansTheDefaults() throws Exception {
        Map<String, String> uncommented = Files.readAllLines(FILE).stream()
                .filter(l -> l.startsWith("#berth.") && !l.endsWith("="))
                .map(l -> l.substring(1).split("=", 2))
                .collect(Collectors.toMap(kv -> kv[0], kv -> kv[1]));
        BerthConfig fromFile = ConfigLoader.fromMap(uncommented);
        BerthConfig defaults = ConfigLoader.fromMap(Map.of());
        assertThat(fromFile.fallbackPorts()).isEqualTo(defaults.fallbackPorts());
        assertThat(fromFile.bind().backoff()).isEqualTo(defaults.bind().backoff());
        assertThat(fromFile.shutdown().timeout()).isEqualTo(defaults.shutdown().timeout());
        assertThat(fromFile.health().path()).isEqualTo(defaults.health().path());
    }
}
