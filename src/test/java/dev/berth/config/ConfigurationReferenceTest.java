package dev.berth.config;

import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * docs/configuration.md's reference table is generated from the configuration mapping, as --help is, so it lists
 * exactly what Berth reads. When a setting changes, regenerate it:
 * {@code mvn -B test -Dtest=ConfigurationReferenceTest -Dberth.docs.update=true}.
 */
class ConfigurationReferenceTest {

    private static final Path FILE = Path.of("docs", "configuration.md");
    private static final String MARK = "<!-- the reference table: generated -->";
    private static final String END = "<!-- end of the generated table -->";

    /** The table's lines: property, flag, environment variable, default, meaning. */
    static List<String> table() {
        List<String> lines = new ArrayList<>();
        lines.add(MARK);
        lines.add("");
        lines.add("| property | flag | environment variable | default | meaning |");
        lines.add("|---|---|---|---|---|");
        for (Catalog.Entry entry : Catalog.get().entries()) {
            String flag = entry.name().equals("berth.war") ? "positional, `--war`" : "`" + entry.flag() + "`";
            lines.add("| `" + entry.name() + "` | " + flag + " | `" + entry.envVar() + "` | " + code(entry.defaultText()) + " | "
                    + entry.help().replace("|", "\\|") + " |");
        }
        lines.add("");
        lines.add(END);
        return lines;
    }

    private static String code(String defaultText) {
        return defaultText.equals("none") || defaultText.contains(" ") ? defaultText : "`" + defaultText + "`";
    }

    @Test
    void theReferenceTableIsTheOneTheMappingGenerates() throws Exception {
        String text = Files.readString(FILE);
        int from = text.indexOf(MARK);
        int to = text.indexOf(END);
        assertThat(from).as(FILE + " has the generated table's marks").isNotNegative();
        String expected = String.join("\n", table());
        String actual = to < 0 ? text.substring(from) : text.substring(from, to + END.length());
        if (Boolean.getBoolean("berth.docs.update") && !actual.equals(expected)) {
            Files.writeString(FILE, text.substring(0, from) + expected + (to < 0 ? "\n" : text.substring(to + END.length())));
            return;
        }
        assertThat(actual).as("regenerate with: mvn -B test -Dtest=ConfigurationReferenceTest -Dberth.docs.update=true").isEqualTo(expected);
    }
}
