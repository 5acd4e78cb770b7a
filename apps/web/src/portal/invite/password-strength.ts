// A hint, not a rule: the service decides (12+ characters, not the email). Length counts most.

export interface Strength {
  /** 0 (too short) … 4 (strong) */
  score: number;
  words: string;
}

export function passwordStrength(password: string, email = ''): Strength {
  if (password.length < 12) return { score: 0, words: `too short (${password.length} of 12 characters)` };
  if (email && password.trim().toLowerCase() === email.trim().toLowerCase()) {
    return { score: 0, words: 'the same as your email' };
  }
  const kinds = [/[a-z]/, /[A-Z]/, /[0-9]/, /[^A-Za-z0-9]/].filter((r) => r.test(password)).length;
  const distinct = new Set(password).size;
  let score = 1;
  if (password.length >= 16) score += 1;
  if (kinds >= 2) score += 1;
  if (password.length >= 20 || (kinds >= 3 && distinct >= 10)) score += 1;
  if (distinct < 5) score = 1;
  const words = ['too short', 'weak', 'fair', 'good', 'strong'][Math.min(score, 4)];
  return { score: Math.min(score, 4), words };
}
