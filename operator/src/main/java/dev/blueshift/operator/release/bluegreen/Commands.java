package dev.blueshift.operator.release.bluegreen;

/**
 * The user's one-shot commands, given as annotations on the MSD (see {@link #PROMOTE} and the
 * others) and removed by the operator once acted on.
 */
public record Commands(boolean promote, boolean abort, boolean retry) {
    public static final String PROMOTE = "blueshift.dev/promote";
    public static final String ABORT = "blueshift.dev/abort";
    public static final String RETRY = "blueshift.dev/retry";

    public static final Commands NONE = new Commands(false, false, false);

    public static Commands from(java.util.Map<String, String> annotations) {
        if (annotations == null) {
            return NONE;
        }
        return new Commands(
                annotations.containsKey(PROMOTE), annotations.containsKey(ABORT), annotations.containsKey(RETRY));
    }
}
