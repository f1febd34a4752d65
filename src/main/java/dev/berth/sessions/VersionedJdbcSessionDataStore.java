package dev.berth.sessions;

import org.eclipse.jetty.session.JDBCSessionDataStore;
import org.eclipse.jetty.session.SessionData;
import org.eclipse.jetty.util.StringUtil;

import java.io.ByteArrayOutputStream;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;

/**
 * Jetty's JDBC session store, with saves that never undo another's. Jetty updates a session's row whatever
 * it holds; here the update only applies while the row still has the version this instance read (its
 * {@code lastSavedTime}), and a new session's insert only while no row has its id. A save that changes no
 * row is a {@link SessionConflict}: another request saved the session since, or invalidated it.
 */
final class VersionedJdbcSessionDataStore extends JDBCSessionDataStore {

    /** SQLSTATE of a unique key violation. */
    private static final String DUPLICATE_KEY = "23505";

    @Override
    public void doStore(String id, SessionData data, long lastSaveTime) throws Exception {
        SessionConflict.advance(data, lastSaveTime);
        if (lastSaveTime <= 0) {
            insert(id, data);
        } else if (update(id, data, lastSaveTime) == 0) {
            throw new SessionConflict("another request saved or removed it since this copy was read");
        }
    }

    private void insert(String id, SessionData data) throws Exception {
        try {
            doInsert(id, data);
        } catch (SQLException e) {
            if (DUPLICATE_KEY.equals(e.getSQLState())) {
                throw new SessionConflict("another request created a session with its id");
            }
            throw e;
        }
    }

    /** Jetty's update of the row, on the condition that it still has the version {@code replacing}; the rows changed. */
    private int update(String id, SessionData data, long replacing) throws Exception {
        SessionTableSchema table = _sessionTableSchema;
        String sql = "update " + tableName(table) + " set "
                + table.getLastNodeColumn() + " = ?, " + table.getAccessTimeColumn() + " = ?, "
                + table.getLastAccessTimeColumn() + " = ?, " + table.getLastSavedTimeColumn() + " = ?, "
                + table.getExpiryTimeColumn() + " = ?, " + table.getMaxIntervalColumn() + " = ?, " + table.getMapColumn() + " = ?"
                + " where " + table.getIdColumn() + " = ? and " + table.getContextPathColumn() + " = ? and "
                + table.getVirtualHostColumn() + " = ? and " + table.getLastSavedTimeColumn() + " = ?";
        ByteArrayOutputStream attributes = new ByteArrayOutputStream();
        serializeAttributes(data, attributes);
        try (Connection connection = _dbAdaptor.getDatasource().getConnection();
             PreparedStatement statement = connection.prepareStatement(sql)) {
            connection.setAutoCommit(true);
            statement.setString(1, data.getLastNode());
            statement.setLong(2, data.getAccessed());
            statement.setLong(3, data.getLastAccessed());
            statement.setLong(4, data.getLastSaved());
            statement.setLong(5, data.getExpiry());
            statement.setLong(6, data.getMaxInactiveMs());
            statement.setBytes(7, attributes.toByteArray());
            statement.setString(8, id);
            statement.setString(9, contextPath());
            statement.setString(10, _context.getVhost());
            statement.setLong(11, replacing);
            return statement.executeUpdate();
        }
    }

    /** The context path as Jetty's own statements write it: "/" for the root context where the database reads "" as null. */
    private String contextPath() {
        String path = _context.getCanonicalContextPath();
        return _dbAdaptor.isEmptyStringNull() && StringUtil.isBlank(path) ? NULL_CONTEXT_PATH : path;
    }

    private static String tableName(SessionTableSchema table) {
        return (table.getSchemaName() != null ? table.getSchemaName() + "." : "") + table.getTableName();
    }
}
