import { AppShell, Button, Group, Text, Anchor } from '@mantine/core';
import { Link, Outlet, useNavigate } from 'react-router';
import { useMe } from '../auth/SessionContext';
import { session } from '../session';

export function Shell() {
  const me = useMe();
  const navigate = useNavigate();
  const signOut = async () => {
    await session.signOut();
    void navigate('/sign-in', { replace: true });
  };
  return (
    <AppShell header={{ height: 56 }} padding="md">
      <AppShell.Header>
        <Group h="100%" px="md" justify="space-between" wrap="nowrap">
          <Group gap="md" wrap="nowrap">
            <Text fw={700} component="span">
              {me.data?.firm.name ?? 'Client Portal'}
            </Text>
            <nav aria-label="Main">
              <Group gap="md" wrap="nowrap">
                <Anchor component={Link} to="/clients">
                  Clients
                </Anchor>
                <Anchor component={Link} to="/security">
                  Security
                </Anchor>
              </Group>
            </nav>
          </Group>
          <Group gap="sm" wrap="nowrap">
            <Text size="sm" c="dimmed" visibleFrom="sm">
              {me.data?.user.name}
            </Text>
            <Button variant="default" size="xs" onClick={() => void signOut()}>
              Sign out
            </Button>
          </Group>
        </Group>
      </AppShell.Header>
      <AppShell.Main>
        <main>
          <Outlet />
        </main>
      </AppShell.Main>
    </AppShell>
  );
}
