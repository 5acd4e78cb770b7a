import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { Providers } from '../ui/Providers';
import { PortalApp } from './PortalApp';

createRoot(document.getElementById('root') as HTMLElement).render(
  <StrictMode>
    <Providers>
      <PortalApp />
    </Providers>
  </StrictMode>,
);
