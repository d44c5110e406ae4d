package dev.blueshift.operator.support.aws;

import dev.blueshift.operator.api.v1alpha1.MicroserviceDeployment;
import dev.blueshift.operator.api.v1alpha1.spec.aws.AlarmSpec;
import dev.blueshift.operator.api.v1alpha1.spec.aws.AwsSpec;
import dev.blueshift.operator.api.v1alpha1.spec.aws.ErrorRateAlarm;
import dev.blueshift.operator.api.v1alpha1.spec.aws.IamRoleSpec;
import dev.blueshift.operator.support.Msds;
import dev.blueshift.operator.support.TestImage;
import java.util.ArrayList;
import java.util.List;

/** MicroserviceDeployments with an IAM role and alarms, for tests. */
public final class AwsMsds {
    /** An AWS-managed policy moto knows (MOTO_IAM_LOAD_MANAGED_POLICIES=true). */
    public static final String READ_ONLY = "arn:aws:iam::aws:policy/ReadOnlyAccess";

    public static final String S3_READ =
            "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"s3:GetObject\",\"Resource\":\"arn:aws:s3:::shop-assets/*\"}]}";

    private AwsMsds() {}

    /** An MSD with a role (one managed policy, one inline policy, a tag) and one error-rate alarm. */
    public static MicroserviceDeployment withRoleAndAlarm(String namespace, String name) {
        MicroserviceDeployment msd = Msds.rolling(namespace, name, 1, TestImage.IMAGE);
        IamRoleSpec iam = new IamRoleSpec();
        iam.setManagedPolicyArns(new ArrayList<>(List.of(READ_ONLY)));
        iam.setInlinePolicy(S3_READ);
        iam.setTags(new java.util.HashMap<>(java.util.Map.of("team", "payments")));
        AwsSpec aws = new AwsSpec();
        aws.setIam(iam);
        aws.setAlarms(new ArrayList<>(List.of(errorRate("errors", 0.05))));
        msd.getSpec().setAws(aws);
        return msd;
    }

    public static AlarmSpec errorRate(String name, double threshold) {
        ErrorRateAlarm rate = new ErrorRateAlarm();
        rate.setThreshold(threshold);
        AlarmSpec alarm = new AlarmSpec();
        alarm.setName(name);
        alarm.setErrorRate(rate);
        return alarm;
    }
}
