package dev.berth.resources;

import dev.berth.config.DatabaseUrl;

import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.Optional;

import static dev.berth.resources.ContextXmlReading.at;
import static dev.berth.resources.ContextXmlReading.context;
import static dev.berth.resources.ContextXmlReading.dataSourceNamed;
import static dev.berth.resources.ContextXmlReading.read;
import static dev.berth.resources.ContextXmlReading.refused;
import static org.assertj.core.api.Assertions.assertThat;

/** {@code ${NAME}} and Tomcat's {@code ${NAME:-default}} in the attributes Berth reads, and only in those. */
class TomcatContextXmlPlaceholdersTest {

    @Test
    void placeholdersResolveInEveryAttributeBerthReadsAndTomcatsDefaultSyntaxWorks() {
        TomcatContextXml xml = read(context("""
                <Resource name="jdbc/${APP}" type="javax.sql.DataSource" url="jdbc:postgresql://${DB_HOST}:${DB_PORT:-5432}/app"
                          username="${DB_USER}" password="${DB_PASSWORD}" maxTotal="${POOL_SIZE:-10}"/>
                <Environment name="region" type="java.lang.String" value="${REGION:-}"/>
                <Parameter name="banner" value="${BANNER}"/>"""),
                Map.of("APP", "app", "DB_HOST", "db.internal", "DB_USER", "app", "DB_PASSWORD", "pa$${x}",
                        "BANNER", "${NOT_A_PLACEHOLDER_AGAIN}")).xml();

        DataSourceDefinition dataSource = xml.dataSources().get(0);
        assertThat(dataSource.name()).isEqualTo("jdbc/app");
        assertThat(dataSource.url()).isEqualTo(new DatabaseUrl("jdbc:postgresql://db.internal:5432/app", Optional.of("app"),
                Optional.of("pa$${x}")));
        assertThat(dataSource.maxPoolSize()).hasValue(10);
        assertThat(xml.environment()).containsExactly(new EnvironmentEntry("region", "", true));
        assertThat(xml.parameters()).containsExactly(new ContextParameter("banner", "${NOT_A_PLACEHOLDER_AGAIN}", true));
    }

    @Test
    void aPlatformsPostgresDatabaseUrlInAPlaceholderBecomesAJdbcUrlWithItsCredentialsBeside() {
        TomcatContextXml xml = read(dataSourceNamed("url=\"${DATABASE_URL}\" username=\"\" password=\"\""),
                Map.of("DATABASE_URL", "postgres://app:S3cret@dpg-abc.oregon-postgres.render.com/app?sslmode=require")).xml();

        assertThat(xml.dataSources().get(0).url()).isEqualTo(new DatabaseUrl(
                "jdbc:postgresql://dpg-abc.oregon-postgres.render.com:5432/app?sslmode=require", Optional.of("app"), Optional.of("S3cret")));
    }

    @Test
    void aPlaceholderWithoutAValueIsAnErrorNamingItOriginAndLine() {
        ContextXmlReading.Refused refused = refused(dataSourceNamed("\n url=\"jdbc:postgresql://db/app\"\n password=\"${DB_PASSWORD}\""));

        assertThat(refused.error()).satisfies(at(2, "${DB_PASSWORD}", "in password of <Resource name=\"jdbc/app\">", "not set",
                "${DB_PASSWORD:-value}"));
    }

    @Test
    void aPlaceholderInSomethingBerthIgnoresIsNotResolvedSoItNeedsNoValue() {
        ContextXmlReading.Read read = read(context("<Realm className=\"org.apache.catalina.realm.JDBCRealm\" connectionPassword=\"${REALM_PASSWORD}\"/>"));

        assertThat(read.warnings()).singleElement().satisfies(at(2, "<Realm className=\"org.apache.catalina.realm.JDBCRealm\"> ignored"));
    }
}
