// Every integration test fails when a service of its stack left a promise rejection unhandled,
// or exited without the test asking: services survive such a bug in production (they log and
// count it), so only the tests can make it loud. A fault seen after the last test of a file
// fails that file's teardown (TestStack.stopAll).
import { takeServiceFaults } from '@cp/testing';

afterEach(async () => {
  // A rejection is reported a moment after the request that caused it was answered.
  await new Promise((resolve) => setTimeout(resolve, 100));
  const faults = takeServiceFaults();
  if (faults.length > 0) throw new Error(`a service faulted during this test:\n${faults.join('\n')}`);
});
