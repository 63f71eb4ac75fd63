"""Evidence that the assessment is fair and that it predicts: candidates' voluntary
self-identification, the adverse-impact report, predictive validity from hired people's
outcomes, and scenario keys from subject-matter experts."""
