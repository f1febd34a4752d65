package dev.berth.config;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/** config/berth.properties documents every property with its default, and uncommented it means the defaults. */
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
    void uncommentedAndReadAsTheWorkingDirectorysFileItMeansTheDefaults(@TempDir Path dir) throws Exception {
        String uncommented = Files.readAllLines(FILE).stream()
                .filter(l -> l.startsWith("#berth.") && !l.endsWith("=") && !l.contains(Catalog.KEY))
                .map(l -> l.substring(1))
                .collect(Collectors.joining("\n", "", "\n"));
        Files.createDirectories(dir.resolve("config"));
        Files.writeString(dir.resolve("config/berth.properties"), uncommented);
        Environment nothingElse = new Environment(Map.of(), Map.of(), dir);
        LoadedConfig fromFile = ConfigLoader.load(CommandLine.parse(), nothingElse);
        LoadedConfig defaults = ConfigLoader.load(CommandLine.parse(), new Environment(Map.of(), Map.of(), dir.resolve("elsewhere")));
        assertThat(fromFile.describeAll()).as("every line from the file").anySatisfy(l -> assertThat(l).contains("file config/berth.properties"));
        assertThat(strip(fromFile.describeAll())).isEqualTo(strip(defaults.describeAll()));
    }

    /** Each --print-config line without its source column: name and value only. */
    private static java.util.List<String> strip(java.util.List<String> lines) {
        return lines.stream().map(l -> l.split("\\s+")).map(f -> f[0] + " " + f[1]).toList();
    }
}
