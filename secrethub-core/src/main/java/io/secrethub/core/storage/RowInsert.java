package io.secrethub.core.storage;

import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * How one kind of row is inserted: its columns, each with its typed placeholder (or a constant) and the
 * binding of its value, declared together, so the column list, the placeholders and the bound values cannot
 * drift apart. A statement uses it as {@code INSERT … VALUES} or, to store the row together with other work
 * in one round trip, as {@code INSERT … SELECT … FROM <cte>}.
 *
 * @param <T> what a row is made from
 */
public final class RowInsert<T> {

    /** Binds one column's value from the row. */
    @FunctionalInterface
    public interface Binding<T> {
        void bind(Parameters parameters, T row) throws SQLException;
    }

    private record Column<T>(String name, String placeholder, Binding<T> binding) {
    }

    private final String table;
    private final List<Column<T>> columns;
    private final int parameters;

    private RowInsert(String table, List<Column<T>> columns) {
        this.table = table;
        this.columns = List.copyOf(columns);
        this.parameters = (int) columns.stream().filter(c -> c.binding != null).count();
    }

    /** Starts the columns of rows inserted into {@code table}. */
    public static <T> Builder<T> into(String table) {
        return new Builder<>(table);
    }

    /** {@code INSERT INTO table (columns) VALUES (placeholders)}. */
    public String values() {
        return "INSERT INTO " + table + " (" + columnList() + ") VALUES (" + placeholderList() + ")";
    }

    /** {@code INSERT INTO table (columns) SELECT placeholders FROM source}: one row per row of {@code source}. */
    public String selectFrom(String source) {
        return "INSERT INTO " + table + " (" + columnList() + ") SELECT " + placeholderList() + " FROM " + source;
    }

    /** Binds {@code row} to this insert's placeholders, at the parameters' current position. */
    public void bind(Parameters target, T row) throws SQLException {
        int first = target.position();
        for (Column<T> column : columns) {
            if (column.binding != null) {
                column.binding.bind(target, row);
            }
        }
        if (target.position() - first != parameters) {
            throw new IllegalStateException("insert into " + table + " bound " + (target.position() - first)
                    + " values for " + parameters + " placeholders");
        }
    }

    private String columnList() {
        return columns.stream().map(Column::name).collect(Collectors.joining(", "));
    }

    private String placeholderList() {
        return columns.stream().map(Column::placeholder).collect(Collectors.joining(", "));
    }

    /** Collects the columns in order. */
    public static final class Builder<T> {

        private final String table;
        private final List<Column<T>> columns = new ArrayList<>();

        private Builder(String table) {
            this.table = table;
        }

        /** A column bound to a value of SQL type {@code sqlType} (the placeholder is {@code ?::sqlType}). */
        public Builder<T> column(String name, String sqlType, Binding<T> binding) {
            columns.add(new Column<>(name, "?::" + sqlType, binding));
            return this;
        }

        /** A column set to the SQL literal {@code value} in every row. */
        public Builder<T> constant(String name, String value) {
            columns.add(new Column<>(name, value, null));
            return this;
        }

        public RowInsert<T> build() {
            return new RowInsert<>(table, columns);
        }
    }
}
