import { Alert, Center, Loader, Text } from '@mantine/core';
import type { ReactNode } from 'react';

/** Loading, failed and empty states of a list, so every list says what is going on. */
export function ListState({
  loading,
  error,
  empty,
  emptyText,
  label,
  children,
}: {
  loading: boolean;
  error: unknown;
  empty: boolean;
  emptyText: string;
  label: string;
  children: ReactNode;
}) {
  if (loading) {
    return (
      <Center p="lg">
        <Loader size="sm" aria-label={`Loading ${label}`} />
      </Center>
    );
  }
  if (error) {
    return (
      <Alert color="red" title={`Could not load ${label}`} role="alert">
        {error instanceof Error ? error.message : 'Try again shortly.'}
      </Alert>
    );
  }
  if (empty) {
    return (
      <Text c="dimmed" p="md">
        {emptyText}
      </Text>
    );
  }
  return <>{children}</>;
}

export function FormError({ message }: { message?: string }) {
  if (!message) return null;
  return (
    <Alert color="red" role="alert" variant="light">
      {message}
    </Alert>
  );
}
