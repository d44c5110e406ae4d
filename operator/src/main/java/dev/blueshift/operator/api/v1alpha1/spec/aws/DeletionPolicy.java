package dev.blueshift.operator.api.v1alpha1.spec.aws;

/** What happens to an AWS resource when its MicroserviceDeployment is deleted. */
public enum DeletionPolicy {
    /** The operator deletes it (for a role: detaches and deletes its policies first). */
    Delete,
    /** The operator leaves it in the account. */
    Retain
}
