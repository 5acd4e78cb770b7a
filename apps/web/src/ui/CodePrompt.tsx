import { Button, Checkbox, Stack, Text, TextInput } from '@mantine/core';
import { useState, type FormEvent } from 'react';
import { fieldError, formError } from '../api/client';
import { FormError } from './States';

/**
 * The second step of a sign-in: a code (emailed, or from an authenticator app) and "Trust this
 * browser for 30 days". The page that shows it sends the code and handles the answer.
 */
export function CodePrompt({
  instructions,
  allowRecoveryCode = false,
  offerTrust = true,
  pending,
  error,
  onSubmit,
}: {
  instructions: string;
  allowRecoveryCode?: boolean;
  offerTrust?: boolean;
  pending: boolean;
  error: unknown;
  onSubmit: (code: string, trustDevice: boolean) => void;
}) {
  const [code, setCode] = useState('');
  const [trust, setTrust] = useState(false);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    onSubmit(code.trim(), trust);
  };
  return (
    <form onSubmit={submit} aria-label="Enter the code">
      <Stack>
        <Text>{instructions}</Text>
        <FormError message={formError(error, ['code'])} />
        <TextInput
          label="Code"
          description={allowRecoveryCode ? 'Six digits, or one of your recovery codes' : 'Six digits'}
          autoComplete="one-time-code"
          inputMode={allowRecoveryCode ? 'text' : 'numeric'}
          required
          data-autofocus
          value={code}
          onChange={(e) => setCode(e.currentTarget.value)}
          error={fieldError(error, 'code')}
        />
        {offerTrust && (
          <Checkbox
            label="Trust this browser for 30 days"
            checked={trust}
            onChange={(e) => setTrust(e.currentTarget.checked)}
          />
        )}
        <Button type="submit" loading={pending}>
          Verify
        </Button>
      </Stack>
    </form>
  );
}
