"""safepassage: anonymous intake, casework, evidence and dossiers for evacuating people at risk."""
