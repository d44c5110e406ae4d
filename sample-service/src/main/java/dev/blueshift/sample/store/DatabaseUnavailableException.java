package dev.blueshift.sample.store;

/** The database could not be reached or failed to answer; callers get a 503. */
public class DatabaseUnavailableException extends RuntimeException {
    public DatabaseUnavailableException(String operation, Throwable cause) {
        super("database unavailable during " + operation + ": " + cause.getMessage(), cause);
    }
}
