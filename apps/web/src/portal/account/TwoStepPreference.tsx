import { Paper, Stack, Switch, Text, Title } from '@mantine/core';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { data, formError, type Schemas } from '../../api/client';
import { FormError } from '../../ui/States';
import { api } from '../session';

type Me = Schemas['PortalMeModel'];

/** In User Settings: the contact's own choice of a code by email at sign-in (counts when the firm leaves it to them). */
export function TwoStepPreference({ me }: { me: Me }) {
  const queryClient = useQueryClient();
  const save = useMutation({
    mutationFn: async (enabled: boolean) => data(await api.PUT('/v1/portal/me/two-step', { body: { enabled } })),
    onSuccess: (account) => queryClient.setQueryData<Me>(['me'], { ...me, account }),
  });
  return (
    <Paper withBorder p="md" component="section" aria-labelledby="two-step-heading">
      <Stack>
        <Title order={2} id="two-step-heading" size="h4">
          Sign-in code
        </Title>
        <FormError message={formError(save.error)} />
        <Switch
          label="Email me a code each time I sign in"
          description="Your firm may ask for the code anyway."
          checked={me.account.twoStepEnabled}
          disabled={save.isPending}
          onChange={(e) => save.mutate(e.currentTarget.checked)}
        />
        {save.isSuccess && (
          <Text size="sm" role="status">
            Saved
          </Text>
        )}
      </Stack>
    </Paper>
  );
}
