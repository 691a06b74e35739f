namespace LlavaRad.Fhir.Intake;

/// <summary>Finds, by search, the study events notifications failed to deliver (a ping, a gap, a missed heartbeat).</summary>
public interface IMissedEventRecovery
{
    Task RecoverAsync(CancellationToken cancellationToken);
}
