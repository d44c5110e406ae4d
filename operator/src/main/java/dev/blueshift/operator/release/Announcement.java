package dev.blueshift.operator.release;

/** A decision worth an Event. */
public record Announcement(boolean warning, EventReason reason, String message) {}
