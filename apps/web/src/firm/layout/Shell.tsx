import { AppShell, Group, Text, Anchor } from '@mantine/core';
import { Link, Outlet, useNavigate } from 'react-router';
import { SignOutButton } from '../../ui/SignOutButton';
import { useMe } from '../auth/SessionContext';
import { session } from '../session';

export function Shell() {
  const me = useMe();
  const navigate = useNavigate();
  return (
    <AppShell header={{ height: 96 }} padding="md">
      <AppShell.Header>
        <Group h={52} px="md" justify="space-between" wrap="nowrap">
          <Text fw={700} component="span" truncate>
            {me.data?.firm.name ?? 'Client Portal'}
          </Text>
          <Group gap="sm" wrap="nowrap">
            <Text size="sm" c="dimmed" visibleFrom="sm">
              {me.data?.user.name}
            </Text>
            <SignOutButton session={session} onSignedOut={() => void navigate('/sign-in', { replace: true })} />
          </Group>
        </Group>
        {/* One link a line: pages are added here by several hands. Narrow screens scroll the row. */}
        <Group
          component="nav"
          aria-label="Main"
          h={44}
          px="md"
          gap="lg"
          wrap="nowrap"
          style={{ overflowX: 'auto', whiteSpace: 'nowrap' }}
        >
          <Anchor component={Link} to="/clients">
            Clients
          </Anchor>
          <Anchor component={Link} to="/templates">
            Email templates
          </Anchor>
          <Anchor component={Link} to="/deliveries">
            Delivery log
          </Anchor>
          <Anchor component={Link} to="/settings">
            Settings
          </Anchor>
          <Anchor component={Link} to="/account">
            Account
          </Anchor>
          <Anchor component={Link} to="/security">
            Security
          </Anchor>
          {me.data?.user.role === 'owner' || me.data?.user.role === 'admin' ? (
            <Anchor component={Link} to="/audit">
              Audit
            </Anchor>
          ) : null}
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
