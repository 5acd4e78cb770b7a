import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { Providers } from '../ui/Providers';
import { FirmApp } from './FirmApp';

createRoot(document.getElementById('root') as HTMLElement).render(
  <StrictMode>
    <Providers>
      <FirmApp />
    </Providers>
  </StrictMode>,
);
