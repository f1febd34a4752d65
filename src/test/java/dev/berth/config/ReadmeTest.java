package dev.berth.config;

import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** The README is short, and it and the pages under docs/ link only to files that exist. */
class ReadmeTest {

    private static final Pattern RELATIVE_LINK = Pattern.compile("\\]\\((?!https?:|#|mailto:)([^)#\\s]+)(#[^)]*)?\\)");

    private static List<Path> pages() throws Exception {
        List<Path> pages = new ArrayList<>(List.of(Path.of("README.md")));
        try (Stream<Path> docs = Files.list(Path.of("docs"))) {
            docs.filter(p -> p.toString().endsWith(".md")).sorted().forEach(pages::add);
        }
        return pages;
    }

    @Test
    void theReadmeIsReadInFiveMinutes() throws Exception {
        assertThat(Files.readAllLines(Path.of("README.md"))).hasSizeLessThanOrEqualTo(300);
    }

    @Test
    void everyRelativeLinkPointsAtAFileThatExists() throws Exception {
        for (Path page : pages()) {
            Matcher link = RELATIVE_LINK.matcher(Files.readString(page));
            while (link.find()) {
                Path target = page.resolveSibling(link.group(1)).normalize();
                assertThat(target).as(page + " links to " + link.group(1)).exists();
            }
        }
    }

    @Test
    void everyPageUnderDocsIsLinkedFromTheReadme() throws Exception {
        String readme = Files.readString(Path.of("README.md"));
        for (Path page : pages().subList(1, pages().size())) {
            assertThat(readme).as(page.toString()).contains("](docs/" + page.getFileName() + ")");
        }
    }
}
