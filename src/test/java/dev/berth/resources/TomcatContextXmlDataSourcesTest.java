package dev.berth.resources;

import dev.berth.config.DatabaseUrl;

import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;

import static dev.berth.resources.ContextXmlReading.DBCP1_APP;
import static dev.berth.resources.ContextXmlReading.TOMCAT_APP;
import static dev.berth.resources.ContextXmlReading.dataSource;
import static dev.berth.resources.ContextXmlReading.dataSourceNamed;
import static dev.berth.resources.ContextXmlReading.read;
import static dev.berth.resources.ContextXmlReading.refused;
import static org.assertj.core.api.Assertions.assertThat;

/** A {@code <Resource type="javax.sql.DataSource">} becomes a pool: what Berth takes from Tomcat's DBCP 1 and 2 attributes. */
class TomcatContextXmlDataSourcesTest {

    @Test
    void tomcatsPostgresExampleBecomesADataSourceWithTheWaitForeverBoundedTo30Seconds() {
        TomcatContextXml xml = read(TOMCAT_APP).xml();

        assertThat(xml.dataSources()).containsExactly(new DataSourceDefinition("jdbc/postgres",
                new DatabaseUrl("jdbc:postgresql://127.0.0.1:5432/mydb", Optional.of("myuser"), Optional.of("mypasswd")),
                Optional.of("org.postgresql.Driver"), OptionalInt.of(20), OptionalInt.empty(), Optional.of(Duration.ofSeconds(30)),
                Optional.empty(), Optional.empty(), Optional.empty(), OptionalInt.empty(), Map.of()));
    }

    @Test
    void dbcp1NamesMaxActiveAndMaxWaitAreReadAndInitialSizeStandsInForMinIdle() {
        DataSourceDefinition dataSource = read(DBCP1_APP).xml().dataSources().get(0);

        assertThat(dataSource.url()).isEqualTo(new DatabaseUrl("jdbc:mysql://localhost:3306/javatest?useSSL=false&serverTimezone=UTC",
                Optional.of("javauser"), Optional.of("javadude")));
        assertThat(dataSource.maxPoolSize()).hasValue(100);
        assertThat(dataSource.minIdle()).hasValue(5);
        assertThat(dataSource.connectionTimeout()).contains(Duration.ofSeconds(10));
        assertThat(dataSource.validationQuery()).contains("SELECT 1");
        assertThat(dataSource.autoCommit()).contains(false);
        assertThat(dataSource.readOnly()).isEmpty();
    }

    @Test
    void theAdjustedPoolSettingsHaveTheValuesTheWarningsPromise() {
        DataSourceDefinition both = read(dataSource("maxTotal=\"8\" maxActive=\"50\" maxWaitMillis=\"500\" maxWait=\"9000\""))
                .xml().dataSources().get(0);
        DataSourceDefinition unlimited = read(dataSource("maxTotal=\"-1\" minIdle=\"2\" initialSize=\"10\"")).xml().dataSources().get(0);
        DataSourceDefinition noWait = read(dataSource("maxWaitMillis=\"0\" initialSize=\"3\" minIdle=\"4\"")).xml().dataSources().get(0);

        assertThat(both.maxPoolSize()).hasValue(8);
        assertThat(both.connectionTimeout()).contains(Duration.ofMillis(500));
        assertThat(unlimited.maxPoolSize()).isEmpty();
        assertThat(unlimited.minIdle()).hasValue(2);
        assertThat(noWait.connectionTimeout()).contains(Duration.ZERO);
        assertThat(noWait.minIdle()).hasValue(4);
    }

    @Test
    void isolationConnectionPropertiesAndReadOnlyAreCarriedOverAndAuthScopeAndDescriptionAreAcceptedQuietly() {
        ContextXmlReading.Read read = read(dataSource("""
                auth="Container" scope="Shareable" description="the app's database"
                defaultTransactionIsolation="read_committed" defaultReadOnly="TRUE"
                connectionProperties="ssl=true; sslmode=require;;ApplicationName=berth=app\""""));
        DataSourceDefinition dataSource = read.xml().dataSources().get(0);

        assertThat(dataSource.transactionIsolation()).hasValue(Connection.TRANSACTION_READ_COMMITTED);
        assertThat(dataSource.readOnly()).contains(true);
        assertThat(dataSource.connectionProperties())
                .containsExactly(Map.entry("ssl", "true"), Map.entry("sslmode", "require"), Map.entry("ApplicationName", "berth=app"));
        assertThat(read.lines()).isEmpty();
    }

    @Test
    void aPasswordAppearsInNoWarningNoErrorAndNotInTheDefinitionsText() {
        String secret = "S3cret-Pa55";
        ContextXmlReading.Read read = read(dataSource("password=\"" + secret + "\" connectionProperties=\"password=" + secret
                + "\" maxTotal=\"-1\" maxWait=\"-1\" maxIdle=\"1\" testOnBorrow=\"" + secret + "\""));
        List<ContextXmlReading.Refused> refusals = List.of(
                refused(dataSource("connectionProperties=\"" + secret + "\"")),
                refused(dataSourceNamed("url=\"jdbc:postgresql://db/app?password=" + secret + "\" maxTotal=\"x\"")),
                refused(dataSourceNamed("url=\"mongodb://app:" + secret + "@db/app\"")));

        assertThat(read.lines()).hasSize(4).noneMatch(warning -> warning.contains(secret));
        assertThat(read.xml().dataSources().get(0).toString()).doesNotContain(secret)
                .isEqualTo("DataSource jdbc/app at jdbc:postgresql://db/app with connection properties [password]");
        assertThat(refusals).allSatisfy(refusal -> {
            assertThat(refusal.exception()).message().doesNotContain(secret);
            assertThat(refusal.lines()).isEmpty();
        });
    }
}
