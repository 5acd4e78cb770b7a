import { Alert, Center, Code, Image, List, Loader, Stack, Text } from '@mantine/core';

/** The authenticator's QR code (and its key, for apps that cannot scan). */
export function TotpQrCode({
  enrolment,
  error,
}: {
  enrolment?: { otpauthUri: string; qrCode: string };
  error: unknown;
}) {
  if (error) {
    return (
      <Alert color="red" role="alert" title="Could not start the set-up">
        {error instanceof Error ? error.message : 'Try again shortly.'}
      </Alert>
    );
  }
  if (!enrolment) {
    return (
      <Center>
        <Loader size="sm" aria-label="Loading the QR code" />
      </Center>
    );
  }
  const key = new URL(enrolment.otpauthUri).searchParams.get('secret') ?? '';
  return (
    <Stack gap="xs" align="center">
      <Image src={enrolment.qrCode} alt="QR code for your authenticator app" w={200} h={200} />
      <Text size="sm">
        Or type this key: <Code>{key}</Code>
      </Text>
    </Stack>
  );
}

/** Ten single-use recovery codes, shown once. */
export function RecoveryCodes({ codes }: { codes: string[] }) {
  return (
    <Stack gap="xs">
      <Text>
        Each code signs you in once if you lose your phone. Keep them somewhere safe: they are not shown again.
      </Text>
      <List aria-label="Recovery codes" spacing={2}>
        {codes.map((code) => (
          <List.Item key={code}>
            <Code>{code}</Code>
          </List.Item>
        ))}
      </List>
    </Stack>
  );
}
