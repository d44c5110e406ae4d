package dev.blueshift.operator.release.bluegreen;

import java.time.Instant;

/**
 * The last progress a release saw while waiting for Pods: how many of the revision's Pods were
 * ready when one last became so (or the wait began). The progress deadline counts from {@code since}.
 */
public record PodProgress(String revision, int readyReplicas, Instant since) {}
