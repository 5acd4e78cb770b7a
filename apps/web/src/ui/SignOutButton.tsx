import { Button } from '@mantine/core';
import { useQueryClient } from '@tanstack/react-query';
import type { Session } from '../api/session';

/** Ends the session (the gateway ends the refresh family) and forgets what the server said. */
export function SignOutButton({ session, onSignedOut }: { session: Session; onSignedOut?: () => void }) {
  const queryClient = useQueryClient();
  const signOut = async () => {
    await session.signOut();
    queryClient.clear();
    onSignedOut?.();
  };
  return (
    <Button variant="default" size="xs" onClick={() => void signOut()}>
      Sign out
    </Button>
  );
}
