package dev.berth.config;

import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Pins what Berth takes from SmallRye Config's mapping model, which is public but meant for SmallRye's
 * integrations: one entry per leaf property with its value type, converter, default and secrecy, and
 * mapping a configuration after it was built. A SmallRye upgrade that changes these fails here first.
 */
class CatalogTest {

    @ParameterizedTest(name = "{0} is a {1} read by {2}, default ''{3}''")
    @CsvSource({
        "berth.port,              java.lang.Integer,  PortList$PortConverter, <none>",
        "berth.fallback-ports,    dev.berth.config.PortList, PortList$Converter, '8080,8000'",
        "berth.bind.attempts,     java.lang.Integer,  Counts$AtLeastOne,      3",
        "berth.bind.backoff,      java.time.Duration, <implicit>,             250ms",
        "berth.compression,       java.lang.Boolean,  <implicit>,             true",
        "berth.access-log,        dev.berth.config.BerthConfig$AccessLogFormat, <implicit>, text",
        "berth.unix-socket-mode,  dev.berth.config.FileMode, FileMode$OctalConverter, 0660",
        "berth.proxy.forwarded,   java.lang.Boolean,  <implicit>,             <none>"})
    void everyLeafOfTheMappingIsAnEntryWithItsTypeConverterAndDefault(String name, String type, String converter, String defaultValue) {
        Catalog.Entry entry = Catalog.get().entry(name).orElseThrow();
        assertThat(entry.type().getName()).isEqualTo(type);
        assertThat(entry.converter().map(c -> c.getName().substring("dev.berth.config.".length())).orElse("<implicit>")).isEqualTo(converter);
        assertThat(entry.defaultValue().orElse("<none>")).isEqualTo(defaultValue);
    }

    @Test
    void aStartReadsTheCatalogTheBuildWroteAndItIsTheOneTheMappingDescribes() {
        assertThat(Catalog.class.getResource(Catalog.FILE)).as("written by the build (PregenerateConfigMapping)").isNotNull();
        assertThat(Catalog.get().entries()).containsExactlyElementsOf(Catalog.fromMapping().entries());
    }

    @Test
    void groupsAreNotEntriesAndEveryEntryHasHelp() {
        assertThat(Catalog.get().entry("berth.bind")).isEmpty();
        assertThat(Catalog.get().entries()).hasSizeGreaterThan(25).allSatisfy(e -> assertThat(e.help()).isNotBlank());
        assertThat(Catalog.get().entries()).extracting(Catalog.Entry::name).isSorted();
    }

    @Test
    void noCommandSharesItsNameWithASettingsFlag() {
        for (CommandLine.Command command : CommandLine.Command.values()) {
            if (!command.flag().isEmpty()) {
                assertThat(Catalog.get().entries()).as(command.flag()).noneMatch(entry -> entry.flag().equals(command.flag()));
            }
        }
    }

    @Test
    void passwordsAreSecret() {
        assertThat(Catalog.get().entry("berth.basic-auth.password").orElseThrow().isSecret()).isTrue();
        assertThat(Catalog.get().entry("berth.basic-auth.user").orElseThrow().isSecret()).isFalse();
    }

    @Test
    void aConfigurationBuiltWithoutTheMappingCanBeMappedAfterwards() throws Exception {
        SmallRyeConfig config = new SmallRyeConfigBuilder()
                .withSources(Source.COMMAND_LINE.with("test", Map.of("berth.shutdown.timeout", "5s")))
                .withConverter(Duration.class, 200, new DurationConverter())
                .withConverter(Boolean.class, 200, new StrictBooleanConverter())
                .build();
        BerthConfig mapped = Validation.validated(config);
        assertThat(mapped.shutdown().timeout()).isEqualTo(Duration.ofSeconds(5));
        assertThat(mapped.fallbackPorts().toString()).isEqualTo("8080,8000");
    }
}
