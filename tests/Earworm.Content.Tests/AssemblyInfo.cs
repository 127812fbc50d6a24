// Torch's random generator (initialisation, dropout) is process-wide: tests that train and compare runs must not
// interleave with others that draw from it. The whole project takes seconds, so it runs one test at a time.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
