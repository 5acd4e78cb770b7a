import { Button, FileButton, Group, Progress, Stack, Text } from '@mantine/core';
import { useState } from 'react';
import { formError } from '../api/client';
import type { UploadedFile } from '../api/upload';
import { formatBytes } from './format';
import { FormError } from './States';

/** Choose a file, send it with a progress bar, report the outcome in words. */
export function FileUpload({
  label,
  upload,
  onDone,
}: {
  label: string;
  upload: (file: File, onProgress: (fraction: number) => void) => Promise<UploadedFile>;
  onDone?: (file: UploadedFile) => void;
}) {
  const [progress, setProgress] = useState<number | null>(null);
  const [current, setCurrent] = useState<File | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [finished, setFinished] = useState<string | null>(null);

  const start = async (file: File | null) => {
    if (!file) return;
    setCurrent(file);
    setError(null);
    setFinished(null);
    setProgress(0);
    try {
      const stored = await upload(file, setProgress);
      setFinished(`Uploaded ${stored.name}`);
      onDone?.(stored);
    } catch (e) {
      setError(e);
    } finally {
      setProgress(null);
    }
  };

  return (
    <Stack gap="xs">
      <Group>
        <FileButton onChange={(file) => void start(file)}>
          {(props) => (
            <Button {...props} disabled={progress !== null}>
              {label}
            </Button>
          )}
        </FileButton>
      </Group>
      {progress !== null && current && (
        <Stack gap={4}>
          <Text size="sm">
            Uploading {current.name} ({formatBytes(current.size)})
          </Text>
          <Progress value={Math.round(progress * 100)} aria-label={`Upload progress of ${current.name}`} />
        </Stack>
      )}
      {finished && (
        <Text size="sm" role="status">
          {finished}
        </Text>
      )}
      <FormError message={formError(error)} />
    </Stack>
  );
}
