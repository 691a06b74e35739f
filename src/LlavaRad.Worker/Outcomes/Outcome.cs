namespace LlavaRad.Worker.Outcomes;

/// <summary>
/// How a stage ended when it could not draft the study: the coded reason (<see cref="PipelineReasons"/>), whether
/// trying again later may succeed, and a detail for the operator (no patient data). The one form an error takes
/// from the stage that saw it to the job runner, which turns it into the job's state.
/// </summary>
public sealed record Outcome(string Code, bool Transient, string Detail)
{
    public static Outcome Final(string code, string detail) => new(code, false, detail);

    public static Outcome Retry(string code, string detail) => new(code, true, detail);

    /// <summary>
    /// The job's last_error: a final code alone (operators and queries match it exactly); a transient one with its
    /// detail, so an operator sees why the job waits.
    /// </summary>
    public string LastError => Transient ? $"{Code}: {Detail}" : Code;
}

/// <summary>Carries an <see cref="Outcome"/> out of a stage, through the awaits, to the job runner.</summary>
public sealed class StudyPipelineException(Outcome outcome, Exception? inner = null) : Exception(outcome.Detail, inner)
{
    public Outcome Outcome { get; } = outcome;

    public static StudyPipelineException Final(string code, string detail) => new(Outcome.Final(code, detail));

    public static StudyPipelineException Retry(string code, string detail, Exception? inner = null) => new(Outcome.Retry(code, detail), inner);
}
