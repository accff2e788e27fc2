"""Evidence of operation: for each clause 8 process (and 9.1, 9.2, 9.3) when it started operating
and the periodic evidence that it ran. Certification bodies postpone Stage 2 most often because
the processes have not run long enough with records; this is where a project shows they have."""
