package io.secrethub.core.storage;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.sql.Types;
import java.time.Instant;
import java.util.List;

/**
 * Binds a statement's parameters in order, keeping the position itself, so statements put together from
 * several {@link RowInsert}s bind without anyone counting offsets.
 */
public final class Parameters {

    private final Connection connection;
    private final PreparedStatement statement;
    private int next = 1;

    public Parameters(Connection connection, PreparedStatement statement) {
        this.connection = connection;
        this.statement = statement;
    }

    /** The position the next value goes to (1-based, as JDBC counts). */
    int position() {
        return next;
    }

    public Parameters bytes(byte[] value) throws SQLException {
        statement.setBytes(next++, value);
        return this;
    }

    public Parameters text(String value) throws SQLException {
        statement.setString(next++, value);
        return this;
    }

    /** A {@code text[]}. */
    public Parameters textArray(List<String> values) throws SQLException {
        statement.setArray(next++, connection.createArrayOf("text", values.toArray()));
        return this;
    }

    /** A timestamp, or SQL NULL for {@code null}. */
    public Parameters timestamp(Instant value) throws SQLException {
        statement.setTimestamp(next++, value == null ? null : Timestamp.from(value));
        return this;
    }

    /** A {@code bigint}, or SQL NULL for {@code null}. */
    public Parameters bigint(Long value) throws SQLException {
        if (value == null) {
            statement.setNull(next++, Types.BIGINT);
        } else {
            statement.setLong(next++, value);
        }
        return this;
    }

    public Parameters bool(boolean value) throws SQLException {
        statement.setBoolean(next++, value);
        return this;
    }
}
