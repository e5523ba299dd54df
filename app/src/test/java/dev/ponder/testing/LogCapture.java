package dev.ponder.testing;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/** Every log record the service writes while open (the root logger's), to check what logs may not hold. */
public final class LogCapture extends Handler implements AutoCloseable {

    private final List<LogRecord> records = Collections.synchronizedList(new ArrayList<>());

    public static LogCapture start() {
        LogCapture c = new LogCapture();
        c.setLevel(Level.ALL);
        Logger.getLogger("").addHandler(c);
        return c;
    }

    @Override
    public void publish(LogRecord r) {
        records.add(r);
    }

    /** Records at {@code level} or above, formatted with their parameters and any exception's message. */
    public List<String> atOrAbove(Level level) {
        List<String> out = new ArrayList<>();
        synchronized (records) {
            for (LogRecord r : records) {
                if (r.getLevel().intValue() >= level.intValue()) {
                    String msg = r.getMessage();
                    Object[] params = r.getParameters();
                    if (params != null) {
                        msg = msg + " " + java.util.Arrays.toString(params);
                    }
                    if (r.getThrown() != null) {
                        msg = msg + " " + r.getThrown();
                    }
                    out.add(r.getLoggerName() + ": " + msg);
                }
            }
        }
        return out;
    }

    @Override
    public void flush() {
    }

    @Override
    public void close() {
        Logger.getLogger("").removeHandler(this);
    }
}
