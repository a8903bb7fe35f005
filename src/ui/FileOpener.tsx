import { useEffect, useState } from 'react';
import { loadOpenedFiles } from '../state/actions';
import { openedFromFiles } from '../state/automation';
import { droppedFiles } from './dropped-entries';

/** The file picker, and the whole page as a drop target for files or folders. */
export function FileOpener() {
  const [dragging, setDragging] = useState(false);
  useEffect(() => {
    const over = (e: DragEvent) => {
      if (!e.dataTransfer?.types.includes('Files')) return;
      e.preventDefault();
      setDragging(true);
    };
    const leave = (e: DragEvent) => {
      if (!e.relatedTarget) setDragging(false);
    };
    const drop = (e: DragEvent) => {
      if (!e.dataTransfer) return;
      e.preventDefault();
      setDragging(false);
      droppedFiles(e.dataTransfer).then(loadOpenedFiles);
    };
    window.addEventListener('dragover', over);
    window.addEventListener('dragleave', leave);
    window.addEventListener('drop', drop);
    return () => {
      window.removeEventListener('dragover', over);
      window.removeEventListener('dragleave', leave);
      window.removeEventListener('drop', drop);
    };
  }, []);
  return (
    <>
      <label className="file-button">
        Open files…
        <input
          type="file"
          multiple
          data-testid="file-input"
          onChange={(e) => {
            const files = [...(e.target.files ?? [])];
            e.target.value = '';
            if (files.length) loadOpenedFiles(openedFromFiles(files));
          }}
        />
      </label>
      {dragging && <div className="drop-overlay">Drop a projector config, a folder, TSV files, or a Parquet, Arrow or CSV table</div>}
    </>
  );
}
