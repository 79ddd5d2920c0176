import '@mantine/core/styles.css';
import 'diff2html/bundles/css/diff2html.min.css';
import './styles.css';
import { booted } from './app/boot';

/**
 * The entry is small: it starts the session refresh and the first page's chunk (`boot.ts`), then
 * the app, which index.html has already preloaded (see vite.config.ts).
 */
void booted.then(() => import('./app/start'));
