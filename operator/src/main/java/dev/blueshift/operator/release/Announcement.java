package dev.blueshift.operator.release;

/** A decision worth an Event. */
public record Announcement(boolean warning, String reason, String message) {}
