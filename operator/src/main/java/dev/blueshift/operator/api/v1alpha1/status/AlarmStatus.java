package dev.blueshift.operator.api.v1alpha1.status;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import java.util.Objects;

/** One CloudWatch alarm of one revision. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class AlarmStatus {
    @JsonPropertyDescription("The alarm's name in spec.aws.alarms.")
    private String name;

    @JsonPropertyDescription("The release revision (pod-template hash) whose traffic the alarm judges.")
    private String revision;

    @JsonPropertyDescription("The alarm's full name in CloudWatch.")
    private String alarmName;

    @JsonPropertyDescription(
            "CloudWatch's state of the alarm: OK, ALARM or INSUFFICIENT_DATA; Unknown until it was read.")
    private String state;

    public AlarmStatus() {}

    public AlarmStatus(String name, String revision, String alarmName, String state) {
        this.name = name;
        this.revision = revision;
        this.alarmName = alarmName;
        this.state = state;
    }

    public String getName() {
        return name;
    }

    public void setName(String name) {
        this.name = name;
    }

    public String getRevision() {
        return revision;
    }

    public void setRevision(String revision) {
        this.revision = revision;
    }

    public String getAlarmName() {
        return alarmName;
    }

    public void setAlarmName(String alarmName) {
        this.alarmName = alarmName;
    }

    public String getState() {
        return state;
    }

    public void setState(String state) {
        this.state = state;
    }

    @Override
    public boolean equals(Object o) {
        if (this == o) return true;
        if (!(o instanceof AlarmStatus other)) return false;
        return Objects.equals(name, other.name)
                && Objects.equals(revision, other.revision)
                && Objects.equals(alarmName, other.alarmName)
                && Objects.equals(state, other.state);
    }

    @Override
    public int hashCode() {
        return Objects.hash(name, revision, alarmName, state);
    }

    @Override
    public String toString() {
        return name + "@" + revision + "=" + state;
    }
}
