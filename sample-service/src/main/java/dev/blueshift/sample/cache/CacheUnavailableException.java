package dev.blueshift.sample.cache;

/** The cache did not answer, or not in time; readers fall back to the database. */
public class CacheUnavailableException extends RuntimeException {
    public CacheUnavailableException(String operation, Throwable cause) {
        super("cache unavailable during " + operation + ": " + cause.getMessage(), cause);
    }
}
