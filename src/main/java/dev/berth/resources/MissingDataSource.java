package dev.berth.resources;

import javax.sql.DataSource;
import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.util.logging.Logger;

/**
 * Stands at {@code java:comp/env/NAME} for a DataSource the WAR declares and nothing provides: the WAR
 * deploys (as on Tomcat), and the first connection it asks for fails with what to set.
 */
final class MissingDataSource implements DataSource {

    private final String name;

    MissingDataSource(String name) {
        this.name = name;
    }

    private SQLException missing() {
        return new SQLException("Berth has no DataSource for java:comp/env/" + name + ": set berth.datasource."
                + name.replaceFirst("^jdbc/", "") + ".url (or DATABASE_URL, when it is the WAR's only one), or declare it in a context.xml");
    }

    @Override
    public Connection getConnection() throws SQLException {
        throw missing();
    }

    @Override
    public Connection getConnection(String username, String password) throws SQLException {
        throw missing();
    }

    @Override
    public PrintWriter getLogWriter() {
        return null;
    }

    @Override
    public void setLogWriter(PrintWriter out) {
        // nothing is logged: there is no pool
    }

    @Override
    public void setLoginTimeout(int seconds) {
        // nothing to time out
    }

    @Override
    public int getLoginTimeout() {
        return 0;
    }

    @Override
    public Logger getParentLogger() throws SQLFeatureNotSupportedException {
        throw new SQLFeatureNotSupportedException();
    }

    @Override
    public <T> T unwrap(Class<T> type) throws SQLException {
        throw missing();
    }

    @Override
    public boolean isWrapperFor(Class<?> type) {
        return false;
    }

    @Override
    public String toString() {
        return "no DataSource for java:comp/env/" + name;
    }
}
