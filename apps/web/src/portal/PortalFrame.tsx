import { Container, Group, Image, Paper, Stack, Title } from '@mantine/core';
import type { ReactNode } from 'react';

/** A portal page in the firm's colours: its logo and name on top. */
export function PortalFrame({
  firm,
  title,
  children,
}: {
  firm?: { name: string; logoUrl: string | null; brandColor: string | null } | null;
  title: string;
  children: ReactNode;
}) {
  return (
    <Container size={480} py="xl" component="main">
      <Stack>
        {firm && (
          <Group gap="sm" justify="center">
            {firm.logoUrl && <Image src={firm.logoUrl} alt={`${firm.name} logo`} h={40} w="auto" fit="contain" />}
            <Title order={2} size="h3" style={firm.brandColor ? { color: firm.brandColor } : undefined}>
              {firm.name}
            </Title>
          </Group>
        )}
        <Title order={1} ta="center">
          {title}
        </Title>
        <Paper withBorder p="lg">
          {children}
        </Paper>
      </Stack>
    </Container>
  );
}
