import { useState } from 'react';
import { fieldError } from '../api/client';

/**
 * Text fields of a form: `bind('email', mutation.error)` gives an input its value, its change
 * handler and the API's message for that field.
 */
export function useFields<T extends Record<string, string>>(initial: T) {
  const [values, setValues] = useState(initial);
  const bind = (key: keyof T & string, error: unknown) => ({
    value: values[key],
    onChange: (e: { currentTarget: { value: string } }) => {
      // Read now: React empties the event's currentTarget before a state updater runs.
      const value = e.currentTarget.value;
      setValues((v) => ({ ...v, [key]: value }));
    },
    error: fieldError(error, key),
  });
  return { values, bind, reset: () => setValues(initial) };
}
