// pgjdbc (Debian's libpostgresql-jdbc-java) against MindooDB (issue 5): the startup SETs,
// extended protocol for every statement, server-side prepared statements after the fifth run
// (binary results), setAutoCommit(false) with commit and rollback checked through the
// driver's transaction state, batch inserts, an error followed by a working statement,
// getObject on jsonb (its pg_type lookups), DatabaseMetaData, LISTEN mindoo_changes through
// PGConnection.getNotifications while the listener waits (issue 4), and TLS.
// Run: java -cp /usr/share/java/postgresql.jar TestPgjdbc.java (single-file launch).

import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;

import org.postgresql.PGConnection;
import org.postgresql.PGNotification;
import org.postgresql.core.BaseConnection;
import org.postgresql.core.TransactionState;
import org.postgresql.util.PGobject;

public class TestPgjdbc {
    /** Long enough for a loaded CI machine; a passing run never waits for it. */
    static final int PATIENCE_MS = 60_000;

    static void check(boolean condition, String message) {
        if (!condition) {
            throw new AssertionError(message);
        }
    }

    static Connection connect(String host, boolean tls) throws SQLException {
        Properties props = new Properties();
        props.setProperty("user", System.getenv("MDB_USER"));
        props.setProperty("password", System.getenv("MDB_PASSWORD"));
        if (tls) {
            props.setProperty("sslmode", "verify-full");
            props.setProperty("sslrootcert", System.getenv("MDB_CA"));
        } else {
            props.setProperty("sslmode", "disable");
        }
        String url = "jdbc:postgresql://" + host + ":" + System.getenv("MDB_PORT") + "/"
                + System.getenv("MDB_DB");
        return DriverManager.getConnection(url, props);
    }

    static TransactionState state(Connection conn) throws SQLException {
        return conn.unwrap(BaseConnection.class).getTransactionState();
    }

    public static void main(String[] args) throws Exception {
        String token;
        try (Connection conn = connect(System.getenv("MDB_HOST"), false)) {
            check(conn.getMetaData().getDatabaseMajorVersion() == 16, "server major version");
            try (Statement st = conn.createStatement()) {
                ResultSet rs = st.executeQuery("SELECT mindoo.create_key('default')");
                check(rs.next(), "create_key row");
                token = rs.getString(1);
                st.execute("CREATE TABLE docs ()");
            }
            // Batch insert with jsonb parameters.
            try (PreparedStatement ps = conn.prepareStatement(
                    "INSERT INTO docs (id, data) VALUES (?, ?::jsonb)")) {
                for (int i = 1; i <= 5; i++) {
                    ps.setString(1, "d" + i);
                    ps.setString(2, "{\"name\":\"doc " + i + "\",\"n\":" + i + "}");
                    ps.addBatch();
                }
                int[] counts = ps.executeBatch();
                check(counts.length == 5 && counts[0] == 1, "batch counts " + java.util.Arrays.toString(counts));
            }
            // Select by a JSON field, six times: pgjdbc prepares on the fifth and then asks for
            // binary results.
            try (PreparedStatement ps = conn.prepareStatement(
                    "SELECT id, data, seq, created_at FROM docs WHERE data->>'name' = ?")) {
                for (int i = 0; i < 6; i++) {
                    ps.setString(1, "doc 3");
                    try (ResultSet rs = ps.executeQuery()) {
                        check(rs.next(), "row by JSON field");
                        check(rs.getString("id").equals("d3"), "id");
                        Object data = rs.getObject("data");
                        check(data instanceof PGobject, "jsonb is a PGobject");
                        PGobject json = (PGobject) data;
                        check(json.getType().equals("jsonb"), "type " + json.getType());
                        check(json.getValue().contains("\"n\": 3"), "value " + json.getValue());
                        check(rs.getLong("seq") > 0, "seq");
                        check(rs.getTimestamp("created_at") != null, "created_at");
                        check(rs.getMetaData().getColumnTypeName(2).equals("jsonb"), "column type name");
                    }
                }
            }
            try (PreparedStatement ps = conn.prepareStatement(
                    "SELECT count(*) FROM docs WHERE (data->>'n')::int > ?")) {
                ps.setInt(1, 2);
                try (ResultSet rs = ps.executeQuery()) {
                    check(rs.next() && rs.getLong(1) == 3, "int parameter");
                    check(rs.getMetaData().getColumnName(1).equals("count"), "count column");
                }
            }

            // Transactions through the driver's own state.
            conn.setAutoCommit(false);
            try (Statement st = conn.createStatement()) {
                st.executeUpdate("INSERT INTO docs (id, data) VALUES ('gone', '{}')");
                check(state(conn) == TransactionState.OPEN, "open after the first statement");
                conn.rollback();
                check(state(conn) == TransactionState.IDLE, "idle after rollback");
                st.executeUpdate("INSERT INTO docs (id, data) VALUES ('kept', '{}')");
                conn.commit();
                check(state(conn) == TransactionState.IDLE, "idle after commit");
                List<String> ids = new ArrayList<>();
                try (ResultSet rs = st.executeQuery(
                        "SELECT id FROM docs WHERE id IN ('gone', 'kept')")) {
                    while (rs.next()) {
                        ids.add(rs.getString(1));
                    }
                }
                check(ids.equals(List.of("kept")), "ids " + ids);
                // An error, then a working statement on the same connection.
                try {
                    st.executeQuery("SELECT * FROM nosuch");
                    throw new AssertionError("expected 42P01");
                } catch (SQLException err) {
                    check("42P01".equals(err.getSQLState()), "sqlstate " + err.getSQLState());
                }
                check(state(conn) == TransactionState.FAILED, "failed transaction");
                conn.rollback();
                try (ResultSet rs = st.executeQuery("SELECT 2")) {
                    check(rs.next() && rs.getInt(1) == 2, "working statement after the error");
                }
                conn.commit();
            }
            conn.setAutoCommit(true);

            // DatabaseMetaData reads pg_catalog.
            DatabaseMetaData meta = conn.getMetaData();
            try (ResultSet rs = meta.getTables(null, "public", "docs", new String[] {"TABLE"})) {
                check(rs.next() && rs.getString("TABLE_NAME").equals("docs"), "getTables");
            }
            try (ResultSet rs = meta.getColumns(null, "public", "docs", "%")) {
                List<String> columns = new ArrayList<>();
                while (rs.next()) {
                    columns.add(rs.getString("COLUMN_NAME") + ":" + rs.getString("TYPE_NAME"));
                }
                check(columns.size() == 8 && columns.get(1).equals("data:jsonb"), "getColumns " + columns);
            }
            checkListen(conn);
        }

        // TLS with a verified certificate.
        try (Connection conn = connect(System.getenv("MDB_TLS_HOST"), true);
                Statement st = conn.createStatement()) {
            st.execute("SET mindoo.keys = '" + token + "'");
            try (ResultSet rs = st.executeQuery("SELECT count(*) FROM docs")) {
                check(rs.next() && rs.getLong(1) == 6, "rows over TLS");
            }
            check(conn.unwrap(PGConnection.class) != null, "pg connection");
        }
        System.out.println("pgjdbc ok");
    }

    /**
     * A second connection listens and then only waits in getNotifications: each commit of
     * `writer` reaches it as a `table:seq` notification from pid 0 (the server).
     */
    static void checkListen(Connection writer) throws SQLException {
        try (Connection listener = connect(System.getenv("MDB_HOST"), false);
                Statement listen = listener.createStatement();
                Statement write = writer.createStatement()) {
            write.execute("CREATE TABLE events ()");
            listen.execute("LISTEN mindoo_changes");
            write.executeUpdate("INSERT INTO events (id, data) VALUES ('e1', '{}')");
            write.executeUpdate("INSERT INTO events (id, data) VALUES ('e2', '{}')");
            PGConnection pg = listener.unwrap(PGConnection.class);
            List<String> payloads = new ArrayList<>();
            long deadline = System.currentTimeMillis() + PATIENCE_MS;
            while (!payloads.contains("events:2")) {
                int left = (int) (deadline - System.currentTimeMillis());
                check(left > 0, "notifications " + payloads);
                PGNotification[] notes = pg.getNotifications(left);
                // null, in older pgjdbc versions, when the wait ended without any.
                for (PGNotification note : notes == null ? new PGNotification[0] : notes) {
                    check(note.getName().equals("mindoo_changes"), "channel " + note.getName());
                    check(note.getPID() == 0, "sent by the server, pid " + note.getPID());
                    check(note.getParameter().matches("events:\\d+"), "payload " + note.getParameter());
                    payloads.add(note.getParameter());
                }
            }
        }
    }
}
